// title: Most frequent repository owners
// answers: Which users or organisations host the code of the most papers?
// param: limit = 10 -- how many owners to list
MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
RETURN r.host AS host, r.owner AS owner, count(DISTINCT r) AS repositories, count(DISTINCT p) AS papers
ORDER BY papers DESC, repositories DESC, host, owner
LIMIT $limit
