const fs = require("fs");
const path = require("path");
const Koa = require("koa");

const app = new Koa();
const PORT = process.env.PORT || 3000;
const HOST = process.env.HOST || "0.0.0.0";

// locales/*.json are loaded when a request asks for them
function loadLocale(lang) {
  const file = path.join(__dirname, "locales", `${lang}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

app.use(async (ctx) => {
  if (ctx.path === "/health") {
    ctx.type = "text/plain";
    ctx.body = "ok";
  } else if (ctx.path === "/greeting") {
    const lang = ctx.query.lang === "de" ? "de" : "en";
    ctx.body = { app: "pnpm-app", lang, ...loadLocale(lang) };
  } else {
    ctx.status = 404;
  }
});

app.listen(PORT, HOST, () => console.log(`pnpm-app on http://${HOST}:${PORT}`));
