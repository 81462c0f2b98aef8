module libns.dev/libns

go 1.19
