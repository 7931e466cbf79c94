// title: Base models most built upon
// answers: Which pre-trained models do the most papers build on (fine-tune, adapt, distil from, use as backbone), and how many papers each?
// param: limit = 10 -- how many models to list
MATCH (p:Paper)-[:BUILDS_ON]->(m:Model)
RETURN m.id AS id, m.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
