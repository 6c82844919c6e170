// Run by the Agents Toolkit at provision (m365agents.yml). The anonymity key must never change once anonymous
// pulse answers exist: a new key would let one person answer again as someone new. So it is made only when the
// environment has none, and the Toolkit keeps it, encrypted, in env/.env.<environment>.user (SECRET_ prefix).
import { randomBytes } from "node:crypto";

if (!process.env.SECRET_ANONYMITY_KEY) {
  console.log(`::set-teamsfx-env SECRET_ANONYMITY_KEY=${randomBytes(48).toString("base64url")}`);
}
