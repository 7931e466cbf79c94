// title: Newest papers per base model
// answers: For every base model, which are the most recent dated papers that build on it?
// param: per_model = 3 -- how many papers per model
MATCH (p:Paper)-[:BUILDS_ON]->(m:Model)
WHERE p.published IS NOT NULL
WITH m, p ORDER BY p.published DESC, p.id
WITH m, collect(p)[0..$per_model] AS newest
UNWIND newest AS p
RETURN m.id AS model, m.name AS name, p.id AS paper, p.title AS title, p.published AS published
ORDER BY model, published DESC, paper
