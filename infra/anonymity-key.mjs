// Run by the Agents Toolkit at provision (m365agents.yml), before infra/azure.bicep is deployed. The anonymity
// key must never change once anonymous pulse answers exist: a new key would let one person answer again as
// someone new. So a key is made only for an environment never provisioned (no Key Vault yet); the Toolkit keeps
// it, encrypted, in env/.env.<environment>.user (SECRET_ prefix), and the template writes it to Key Vault. An
// environment already provisioned (its Key Vault is named in env/.env.<environment>) but without the key on this
// machine gets "keep-existing", which the template does not write: the key in Key Vault stays as it is.
import { randomBytes } from "node:crypto";

if (!process.env.SECRET_ANONYMITY_KEY) {
  const provisioned = Boolean(process.env.AZURE_KEY_VAULT_NAME);
  const value = provisioned ? "keep-existing" : randomBytes(48).toString("base64url");
  if (provisioned)
    console.error(
      `Keeping the anonymity key already in Key Vault ${process.env.AZURE_KEY_VAULT_NAME} (none on this machine).`,
    );
  console.log(`::set-teamsfx-env SECRET_ANONYMITY_KEY=${value}`);
}
