// title: Models that papers introduce, and their bases
// answers: Which models do papers introduce, and which models are they derived from?
// param: limit = 25 -- how many rows to list
MATCH (p:Paper)-[:INTRODUCES]->(m:Model)
OPTIONAL MATCH (m)-[:DERIVED_FROM]->(base:Model)
WITH p, m, base ORDER BY base.id
RETURN p.id AS paper, m.id AS model, m.name AS name, collect(DISTINCT base.id) AS derived_from
ORDER BY paper, model
LIMIT $limit
