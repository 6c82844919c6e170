// Run by the Agents Toolkit at provision (m365agents.yml), before infra/azure.bicep is deployed, or by hand before
// `az deployment group create`: decides whether this deployment makes the anonymity key
// (ANONYMITY_KEY_MODE=create) or keeps the one in Key Vault (keep). The key itself is made by Azure during the
// deployment and never passes through this machine or its logs.
// The answer comes from Azure, not from files on this machine: a key must never be made twice for the same
// deployment (a new key would let one person answer an anonymous pulse again as someone new), whoever provisions
// and from wherever. Reads only resource metadata (no secret value): Owner or Contributor is enough. Anything it
// cannot establish stops it, rather than risk "create" over a live key.
// Needs AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP_NAME and what infra/azure.parameters.json's resourceBaseName
// uses (RESOURCE_SUFFIX). AZ names the Azure CLI to run (default "az"), for tests.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const SECRET_NAME = "anonymity-key";
/** The tag infra/azure.bicep puts on its Key Vault, valued with the deployment's resourceBaseName. */
const VAULT_TAG = "goLiveGovernance";
const az = process.env.AZ || "az";

function fail(message) {
  console.error(message);
  process.exit(1);
}

function runAz(args) {
  try {
    return { ok: true, out: execFileSync(az, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (error) {
    if (error.code === "ENOENT") fail("The Azure CLI (az) is needed: install it and run az login.");
    return { ok: false, status: error.status, err: String(error.stderr ?? "") };
  }
}

const subscription = process.env.AZURE_SUBSCRIPTION_ID;
const group = process.env.AZURE_RESOURCE_GROUP_NAME;
if (!subscription || !group)
  fail(
    "Set AZURE_SUBSCRIPTION_ID and AZURE_RESOURCE_GROUP_NAME in env/.env.<environment> first (the anonymity key of a deployment is made only once).",
  );

// The deployment's resourceBaseName, as the parameters file gives it to the template.
const parameters = JSON.parse(readFileSync(new URL("./azure.parameters.json", import.meta.url), "utf8"));
const baseName = String(parameters.parameters.resourceBaseName.value).replace(
  /\$\{\{([A-Z0-9_]+)\}\}/g,
  (_, name) => {
    const value = process.env[name];
    if (!value) fail(`Set ${name} in env/.env.<environment> first (it names the deployment's resources).`);
    return value;
  },
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
  // --resource-type makes a failed listing an error; without it az answers an empty list.
  const vaults = runAz([
    ...[
      "keyvault",
      "list",
      "--resource-type",
      "vault",
      "--resource-group",
      group,
      "--subscription",
      subscription,
    ],
    ...["--query", `[?tags.${VAULT_TAG}=='${baseName}'].id`, "--output", "tsv"],
  ]);
  if (!vaults.ok) fail(`Could not list the Key Vaults of ${group}:\n${vaults.err}`);
  for (const vault of vaults.out.split(/\s+/).filter(Boolean)) {
    const secret = runAz(["resource", "show", "--ids", `${vault}/secrets/${SECRET_NAME}`, "--query", "id"]);
    if (secret.ok) return "keep";
    // az exits 3 for a resource that does not exist; anything else is a failure to find out.
    if (!(secret.status === 3 && /NotFound/.test(secret.err)))
      fail(`Could not check ${vault} for the anonymity key:\n${secret.err}`);
  }
  return "create";
}

const chosen = mode();
console.error(
  chosen === "keep"
    ? `Keeping the anonymity key already in Key Vault for ${baseName} in ${group}.`
    : `Making the anonymity key for ${baseName} in ${group} (its first deployment).`,
);
console.log(`::set-teamsfx-env ANONYMITY_KEY_MODE=${chosen}`);
