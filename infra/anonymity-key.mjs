// Run by the Agents Toolkit at provision (m365agents.yml), before infra/azure.bicep is deployed: decides whether
// this deployment makes the anonymity key (ANONYMITY_KEY_MODE=create) or keeps the one in Key Vault (keep).
// The key itself is made by Azure during the deployment and never passes through this machine or its logs.
// The answer comes from Azure, not from files on this machine: a key must never be made twice for the same
// resource group (a new key would let one person answer an anonymous pulse again as someone new), whoever
// provisions and from wherever. Reads only resource metadata (no secret value): Owner or Contributor is enough.
// AZ names the Azure CLI to run (default "az"), for tests.
import { execFileSync } from "node:child_process";

const SECRET_NAME = "anonymity-key";
const az = process.env.AZ || "az";

function fail(message) {
  console.error(message);
  process.exit(1);
}

function runAz(args) {
  try {
    return { ok: true, out: execFileSync(az, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (error) {
    if (error.code === "ENOENT")
      fail("The Azure CLI (az) is needed to provision: install it and run az login.");
    return { ok: false, err: `${error.stderr ?? ""}${error.message ?? ""}` };
  }
}

const subscription = process.env.AZURE_SUBSCRIPTION_ID;
const group = process.env.AZURE_RESOURCE_GROUP_NAME;
if (!subscription || !group)
  fail(
    "Set AZURE_SUBSCRIPTION_ID and AZURE_RESOURCE_GROUP_NAME in env/.env.<environment> first (the anonymity key of a resource group is made only once).",
  );

function mode() {
  const exists = runAz([
    "group",
    "exists",
    "--name",
    group,
    "--subscription",
    subscription,
    "--output",
    "tsv",
  ]);
  if (!exists.ok) fail(`Could not ask Azure about resource group ${group} (run az login?):\n${exists.err}`);
  if (exists.out.trim() !== "true") return "create";
  const vaults = runAz([
    ...["keyvault", "list", "--resource-group", group, "--subscription", subscription],
    ...["--query", "[].id", "--output", "tsv"],
  ]);
  if (!vaults.ok) fail(`Could not list the Key Vaults of ${group}:\n${vaults.err}`);
  for (const vault of vaults.out.split(/\s+/).filter(Boolean)) {
    const secret = runAz(["resource", "show", "--ids", `${vault}/secrets/${SECRET_NAME}`, "--query", "id"]);
    if (secret.ok) return "keep";
    if (!/ResourceNotFound|NotFound|was not found/i.test(secret.err))
      fail(`Could not check ${vault} for the anonymity key:\n${secret.err}`);
  }
  return "create";
}

const chosen = mode();
console.error(
  chosen === "keep"
    ? `Keeping the anonymity key already in Key Vault in ${group}.`
    : `Making the anonymity key for ${group} (first deployment).`,
);
console.log(`::set-teamsfx-env ANONYMITY_KEY_MODE=${chosen}`);
