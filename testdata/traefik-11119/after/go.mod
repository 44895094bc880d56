module example.com/traefik11119

go 1.24
