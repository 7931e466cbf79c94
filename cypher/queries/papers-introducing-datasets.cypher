// title: Papers that introduce datasets
// answers: Which papers introduce a dataset, and how many other papers use that dataset?
// param: limit = 25 -- how many rows to list
MATCH (p:Paper)-[:INTRODUCES]->(d:Dataset)
OPTIONAL MATCH (user:Paper)-[:USES_DATASET]->(d)
WHERE user <> p
RETURN p.id AS paper, p.title AS title, d.id AS dataset, d.name AS name, count(DISTINCT user) AS used_by
ORDER BY used_by DESC, paper, dataset
LIMIT $limit
