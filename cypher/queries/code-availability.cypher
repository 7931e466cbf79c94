// title: How many papers link code
// answers: How many papers are there, how many link at least one code repository, and how many links in all?
MATCH (p:Paper)
OPTIONAL MATCH (p)-[:HAS_CODE]->(r:Repository)
WITH p, count(r) AS repositories
RETURN count(p) AS papers, count(CASE WHEN repositories > 0 THEN 1 END) AS with_code, sum(repositories) AS links
