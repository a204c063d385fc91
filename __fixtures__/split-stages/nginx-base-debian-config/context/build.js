const fs = require("fs"); fs.mkdirSync("build", { recursive: true });
