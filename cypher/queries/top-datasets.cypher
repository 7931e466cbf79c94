// title: Most used datasets
// answers: Which datasets do the most papers use, and how many of those train or evaluate on them?
// param: limit = 10 -- how many datasets to list
MATCH (p:Paper)-[u:USES_DATASET]->(d:Dataset)
RETURN d.id AS id, d.name AS name, count(DISTINCT p) AS papers,
       count(CASE WHEN u.role = 'train' THEN 1 END) AS train,
       count(CASE WHEN u.role = 'evaluate' THEN 1 END) AS evaluate
ORDER BY papers DESC, id
LIMIT $limit
