require("pg")
