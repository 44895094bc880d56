module example.com/traefik11423

go 1.24
