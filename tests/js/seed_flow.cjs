// The seed page's flow, written as that page writes it, through Codat's official TypeScript SDK
// (@codat/platform) pointed at the emulator. Run by tests/js/test_seed_flow_js.py; by hand:
//
//   NODE_PATH=.cache/npm/node_modules CODAT_BASE_URL=http://127.0.0.1:8000 CODAT_API_KEY=my-key \
//     node tests/js/seed_flow.cjs
//
// Prints one JSON object: what each step answered. Any error (an SDK error included) exits 1 with its text.
"use strict";

const { CodatPlatform } = require("@codat/platform");

const baseUrl = process.env.CODAT_BASE_URL;
const apiKey = process.env.CODAT_API_KEY;
if (!baseUrl || !apiKey) {
  console.error("set CODAT_BASE_URL and CODAT_API_KEY");
  process.exit(2);
}

const codat = new CodatPlatform({
  authHeader: "Basic " + Buffer.from(apiKey).toString("base64"),
  serverURL: baseUrl,
  retryConfig: { strategy: "none" },
});

async function seedFlow() {
  const steps = {};

  const company = await codat.companies.create({ name: "Bank of Dave", description: "Seed flow", tags: { region: "uk" } });
  steps.created = { id: company.id, name: company.name, tags: company.tags };

  const connection = await codat.connections.create({
    companyId: company.id,
    requestBody: { platformKey: "qhyg" },
  });
  steps.connected = { id: connection.id, status: connection.status, linkUrl: connection.linkUrl };

  const authorized = await codat.connections.updateAuthorization({
    companyId: company.id,
    connectionId: connection.id,
    requestBody: { accessToken: "0000-0000" },
  });
  steps.authorized = authorized.status;

  // Exactly as the seed page writes it. SDK 6.x calls this field `updateConnectionStatus`, so it drops
  // `requestBody` and sends the PATCH with an empty body; the operation's name says what that means.
  const unlinked = await codat.connections.unlink({
    companyId: company.id,
    connectionId: connection.id,
    requestBody: { status: "Unlinked" },
  });
  steps.unlinked = unlinked.status;

  const found = await codat.companies.list({ query: "dataConnections.status=Unlinked", orderBy: "-created" });
  steps.listed = found.results.map((c) => c.id);

  await codat.connections.delete({ companyId: company.id, connectionId: connection.id });
  await codat.companies.delete({ companyId: company.id });
  try {
    await codat.companies.get({ companyId: company.id });
    steps.afterDelete = "still there";
  } catch (error) {
    steps.afterDelete = { name: error.constructor.name, statusCode: error.statusCode ?? error.httpMeta?.response?.status };
  }
  return steps;
}

seedFlow().then(
  (steps) => console.log(JSON.stringify(steps)),
  (error) => {
    console.error(String(error && error.stack ? error.stack : error));
    process.exit(1);
  },
);
