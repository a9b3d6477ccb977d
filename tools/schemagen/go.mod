module shipshape/tools/schemagen

go 1.26
