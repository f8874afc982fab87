"""What the demo's cases say: descriptions by category (with {place} and {n}), and the notes, reasons and
mediation records the staff write on the way."""

DESCRIPTIONS = {
    "exposed-rubbish": ["{place}楼下垃圾桶满溢，垃圾堆在路边已经两天了", "{place}门口有人乱扔建筑垃圾，气味很大",
                        "{place}绿化带里堆了很多生活垃圾，没有人清理"],
    "street-cleaning": ["{place}附近道路落叶很多，没人清扫", "{place}路口积水，路面有泥浆需要冲洗",
                        "{place}人行道上有大片油污，容易滑倒"],
    "noise-dispute": ["{place}楼上住户晚上十点后还在装修，严重影响休息", "{place}楼下商铺音响声音太大，{n}点还在放",
                      "{place}邻居家狗每天夜里叫，多次沟通无果"],
    "neighbour-dispute": ["{place}邻居在楼道堆放杂物，沟通后不肯清理", "{place}楼上漏水渗到我家，楼上不愿意维修",
                          "{place}邻居私占公共晾晒区，双方有争执"],
    "lift-broken": ["{place}电梯停运{n}天了，老人上下楼很困难", "{place}电梯运行时有异响，担心安全",
                    "{place}电梯门关不上，一直报警"],
    "water-leak": ["{place}楼道顶部渗水，墙皮脱落", "{place}地下室水管破裂，积水很深", "{place}卫生间天花板一直滴水"],
    "property-fee-dispute": ["{place}物业费上涨没有公示，业主有异议", "{place}物业服务不到位，业主拒交物业费，双方协商不成",
                             "{place}停车费收费标准有争议"],
    "enterprise-parking": ["{place}员工停车困难，希望协调{n}个长租车位", "{place}访客车位不足，申请临时停车方案"],
    "enterprise-talent": ["{place}企业招聘技术人员，希望对接人才政策和人才公寓", "{place}员工子女入学咨询，需要协助"],
    "enterprise-financing": ["{place}企业扩大生产需要贷款{n}百万元，希望对接银行", "{place}科技型企业申请融资担保"],
    "policy-enquiry": ["{place}企业咨询楼宇经济扶持政策如何申报", "{place}企业咨询租金补贴的申请条件",
                       "{place}企业咨询高新技术企业认定流程"],
    "fire-lane-blocked": ["{place}消防通道长期被私家车占用", "{place}消防通道堆满电动车和杂物"],
    "illegal-structure": ["{place}顶楼住户正在搭建阳光房", "{place}一楼住户占用绿地搭建棚子", "{place}有人在屋顶加层施工"],
    "enquiry": ["咨询{place}附近老年食堂的开放时间", "咨询{place}加装电梯的补贴政策", "咨询{place}居住证办理需要的材料",
                "咨询{place}垃圾分类投放的时间"],
    "complaint": ["投诉{place}附近夜市油烟扰民", "投诉{place}物业保安态度差", "投诉{place}周边共享单车乱停放",
                  "投诉{place}附近工地夜间施工"],
    "courier-council-item": ["{place}小哥电动车充电桩不够用，晚上排队", "{place}希望在小区门口设置快递临时停车点",
                             "{place}小哥子女暑期无人照看，希望开设托管班"],
    "early-warning": ["驾驶舱预警：{place}人流密度超过阈值", "驾驶舱预警：{place}商业活力指数连续下降",
                      "驾驶舱预警：{place}周边交通拥堵指数偏高"],
    "resolution-follow-up": ["议事会决议跟进：{place}增设非机动车棚", "议事会决议跟进：{place}楼道照明改造",
                             "议事会决议跟进：{place}公共区域加装监控"],
}
NOTES = ["已到现场查看，正在处理", "已联系责任单位，约定上门时间", "已安排人员处理，预计今天完成", "已与诉求人电话沟通，正在协调"]
FEEDBACK = ["已处理完毕，现场已恢复", "已协调解决，诉求人表示认可", "已按要求整改到位", "已答复诉求人并提供相关材料"]
ESCALATION_REASONS = ["涉及多个部门，本级无法协调", "需要执法部门介入", "涉及资金和规划审批，需上级统筹"]
REJECTION_REASONS = ["不属于受理范围，已告知诉求人向相关部门反映", "信息不全，多次联系诉求人未果", "经核实情况不属实"]
SENT_BACK = ["现场复核仍未处理到位，退回重办", "诉求人反映问题仍然存在，请继续处理"]
AGREEMENTS = ["双方同意按约定时间整改，互相谅解", "双方达成一致，由责任方承担维修费用", "双方签订调解协议，按协议分期履行",
              "双方同意调整作息和使用时间，不再发生纠纷"]
SUMMARIES = ["听取双方陈述，初步明确争议焦点", "现场查看后提出调解方案，双方原则同意", "双方就费用分担进行协商"]
ATTENDEES = ["双方当事人、社区调解员、网格员", "双方当事人、物业代表、业委会代表、社区调解员", "双方当事人、楼宇专员、物业代表"]
DUPLICATE_CLOSED = "同一事项已办结，已告知诉求人"
