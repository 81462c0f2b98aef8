module libns

go 1.19
