// The official TypeScript SDK on Node: sequential awaited calls.
//   node bench/clients/sdk.mjs BASE_URL OP CALLS BATCHES
import { Authlete } from "@authlete/typescript-sdk";

const [base, op, callsArg, batchesArg] = process.argv.slice(2);
const calls = Number(callsArg), batches = Number(batchesArg);
const authlete = new Authlete({ serverURL: base, bearer: "bench-bearer" });
const call = op === "create"
  ? () => authlete.token.management.create({ serviceId: "1", tokenCreateRequest: {
      grantType: "AUTHORIZATION_CODE", clientId: 26888344961664, subject: "john",
      scopes: ["history.read", "timeline.read"] } })
  : () => authlete.token.management.list({ serviceId: op === "list2" ? "2" : "20" });

for (let i = 0; i < Math.floor(calls / 5) + 10; i++) await call();
const perCall = [];
for (let b = 0; b < batches; b++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  perCall.push(Number(process.hrtime.bigint() - t0) / 1e3 / calls);
}
perCall.sort((a, b) => a - b);
console.log(`us=${perCall[Math.floor(batches / 2)].toFixed(2)} rss_kib=${process.resourceUsage().maxRSS}`);
