"""The visit planner (聚宝盆) as pure Python: `instance` (the data and the rules), `greedy` (the baseline),
`cpsat` (OR-Tools CP-SAT per business community, hinted with the greedy plan), `explain` (why each visit).
No Django here: the service `business.services.planning` builds the instance from the database."""
