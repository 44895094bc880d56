module example.com/traefik10905

go 1.24
