console.log("stale");
