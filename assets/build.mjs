// Builds static/vendor/ from the pinned npm packages (make assets), then checks every file
// against static/vendor/CHECKSUMS. `node build.mjs --update` rewrites CHECKSUMS instead
// (after a deliberate upgrade of package.json / package-lock.json).
//
// What is vendored:
//   design-system.min.css   GOV.UK Frontend + MOJ Frontend, compiled from design-system.scss
//   assets/images/*         the images that stylesheet refers to (nothing else)
//   govuk-frontend.min.js   GOV.UK Frontend's ES module, as published
//   moj-frontend.min.js     MOJ Frontend's ES module, as published
//   VERSIONS                package versions and npm integrity hashes from package-lock.json
// The JavaScript files lose only their trailing sourceMappingURL comment (the maps are not
// vendored; Django's manifest storage would otherwise require them).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "vendor");
const modules = join(here, "node_modules");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");
const moj = join(modules, "@ministryofjustice", "frontend", "moj");
const update = process.argv.includes("--update");

// Kept across rebuilds: hand-written notes, and the record the build is checked against.
const KEEP = new Set(["CHECKSUMS", "LICENCES.md"]);
for (const name of readdirSync(out, { withFileTypes: true })) {
  if (!KEEP.has(name.name)) rmSync(join(out, name.name), { recursive: true, force: true });
}

// 1. The stylesheet (deterministic for pinned versions: compressed, no source map).
const css = sass.compile(join(here, "design-system.scss"), {
  loadPaths: [here],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  logger: sass.Logger.silent,
}).css;
writeFileSync(join(out, "design-system.min.css"), css + "\n");

// 2. The images it refers to, from whichever package has them.
mkdirSync(join(out, "assets", "images"), { recursive: true });
const images = [...new Set([...css.matchAll(/url\("?assets\/images\/([^")]+)"?\)/g)].map((m) => m[1]))].sort();
for (const image of images) {
  const source = [join(moj, "assets", "images", image), join(govuk, "assets", "images", image)].find((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
  if (!source) throw new Error(`design-system.min.css refers to ${image}, which neither package has`);
  copyFileSync(source, join(out, "assets", "images", image));
}

// 3. The JavaScript modules.
const withoutSourceMap = (path) => readFileSync(path, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
writeFileSync(join(out, "govuk-frontend.min.js"), withoutSourceMap(join(govuk, "govuk-frontend.min.js")));
writeFileSync(join(out, "moj-frontend.min.js"), withoutSourceMap(join(moj, "moj-frontend.min.js")));

// 4. VERSIONS, from the lock.
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const versions = ["govuk-frontend", "@ministryofjustice/frontend", "sass"].map((name) => {
  const entry = lock.packages[`node_modules/${name}`];
  return `${name} ${entry.version} ${entry.integrity}`;
});
writeFileSync(
  join(out, "VERSIONS"),
  "# Built by `make assets` (assets/build.mjs) from assets/package-lock.json; name version npm-integrity\n" +
    versions.join("\n") +
    "\n",
);

// 5. Checksums: every vendored file but CHECKSUMS itself, in sha256sum's format.
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (relative(out, path) !== "CHECKSUMS") files.push(relative(out, path));
  }
};
walk(out);
files.sort();
const sums =
  files.map((file) => `${createHash("sha256").update(readFileSync(join(out, file))).digest("hex")}  ${file}`).join("\n") +
  "\n";
const recorded = (() => {
  try {
    return readFileSync(join(out, "CHECKSUMS"), "utf8");
  } catch {
    return "";
  }
})();
if (update) {
  writeFileSync(join(out, "CHECKSUMS"), sums);
  console.log(`static/vendor: ${files.length} files, CHECKSUMS written`);
} else if (sums !== recorded) {
  console.error("static/vendor differs from static/vendor/CHECKSUMS (git diff static/vendor shows how).");
  console.error("After a deliberate upgrade run `make assets ASSETS_UPDATE=1` and commit the result.");
  process.exit(1);
} else {
  console.log(`static/vendor: ${files.length} files match CHECKSUMS`);
}
