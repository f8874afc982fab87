"""The policy package (楼宇服务二十条 and others): policies with eligibility rules, matches, applications. Owned
by the policies part."""

__all__: list[str] = []
