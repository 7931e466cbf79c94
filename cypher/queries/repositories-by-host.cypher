// title: Code repositories by host
// answers: Where do papers keep their code: how many repositories and papers per host (GitHub, GitLab, Hugging Face, ...)?
MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
RETURN r.host AS host, count(DISTINCT r) AS repositories, count(DISTINCT p) AS papers
ORDER BY repositories DESC, host
