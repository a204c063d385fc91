require("./routes")
