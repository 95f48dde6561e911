// Loaded with `node --import` by the benchmark: writes the process's peak RSS (KiB) to $KFORGE_RSS_FILE on exit.
import fs from 'node:fs';
process.on('exit', () => {
  if (process.env.KFORGE_RSS_FILE) fs.writeFileSync(process.env.KFORGE_RSS_FILE, String(process.resourceUsage().maxRSS));
});
