// Go-Live Governance for Teams: everything the bot needs in one resource group.
// Deployed by the Microsoft 365 Agents Toolkit (arm/deploy) with azure.parameters.json, or by hand:
//   az deployment group create -g <group> -f infra/azure.bicep -p resourceBaseName=<name> [anonymityKeyMode=create]
// One user-assigned managed identity is the bot's identity and the code's and Functions host's identity for
// storage, Key Vault and Application Insights, so no password, account key or instrumentation key is stored
// anywhere (README.md in this folder explains why for the IT lead).
targetScope = 'resourceGroup'

@description('Short name used in every resource name: letters, digits and hyphens (e.g. golive plus a suffix).')
@minLength(3)
@maxLength(20)
param resourceBaseName string

// Care records and governance evidence stay in the UK: only the two UK regions are offered.
@description('Azure region for every regional resource: UK South (default) or UK West.')
@allowed([
  'uksouth'
  'ukwest'
])
param location string = 'uksouth'

// The key that turns a person's id into an anonymous pulse answer; read by the code, never written to storage.
// It must not change once answers exist (a new key would let a person answer a pulse again as someone new), so
// it is made once, here in Azure, and never leaves it: the deployment that makes it is told so
// (anonymityKeyMode 'create'); every other deployment keeps the key already in Key Vault.
@description('create: make the anonymity key in Key Vault (the first deployment only). keep (default): keep the key already there.')
@allowed([
  'create'
  'keep'
])
param anonymityKeyMode string = 'keep'

// Made by Azure at deployment time (two random GUIDs, 244 random bits); used only when anonymityKeyMode is
// 'create'. Not a value to pass in.
@description('Leave unset: a new random key, used only when anonymityKeyMode is create.')
@secure()
param newAnonymityKey string = '${newGuid()}${newGuid()}'

@description('How long an evidence pack\'s read-only link works, in minutes (at most 7 days).')
@minValue(1)
@maxValue(10080)
param evidenceLinkMinutes int = 60

// Packs are rebuilt from the governance log on request and their links expire within the hour, so old packs
// are clutter (and copies of personal data), not records.
@description('Evidence pack files are deleted this many days after they were written.')
@minValue(1)
@maxValue(3650)
param evidenceRetentionDays int = 30

@description('How long the Log Analytics workspace keeps logs (storage access logs, app telemetry), in days.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

// The governance log must never be lost: geo-zone-redundant by default (three zones in UK South, copied to the
// paired region UK West, so it stays in the UK). UK West has no availability zones: use Standard_GRS there.
@description('Storage redundancy. Standard_GZRS (default) needs UK South; in UK West use Standard_GRS.')
@allowed([
  'Standard_GZRS'
  'Standard_RAGZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_ZRS'
])
param storageSku string = location == 'ukwest' ? 'Standard_GRS' : 'Standard_GZRS'

@description('The bot\'s name as shown in the Azure portal.')
@maxLength(42)
param botDisplayName string = 'Go-Live Governance'

// The Teams channel is a standard channel: free on F0 as on S1.
@description('Azure Bot pricing tier.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Most instances the Function App scales out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Function App instance, in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Least severe log level the code writes.')
@allowed([
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

// A delete lock stops the storage account (and with it the governance log) being removed by mistake, for
// example by deleting the resource group. It does not stop the app reading or writing data.
@description('Put a delete lock on the storage account. Remove the lock in the portal before deleting it.')
param lockStorageAccount bool = true

// Names. Storage accounts, Key Vaults, Function Apps and bots share global namespaces, so each gets a token
// derived from the resource group and the base name: stable across redeployments, different per environment.
var token = uniqueString(resourceGroup().id, resourceBaseName)
var shortToken = take(token, 6)
var compactBaseName = take(toLower(replace(resourceBaseName, '-', '')), 9)
var identityName = 'id-${resourceBaseName}'
var storageAccountName = 'st${compactBaseName}${token}'
var keyVaultName = 'kv${compactBaseName}${token}'
var workspaceName = 'log-${resourceBaseName}'
var appInsightsName = 'appi-${resourceBaseName}'
var planName = 'plan-${resourceBaseName}'
var functionAppName = 'func-${resourceBaseName}-${shortToken}'
var botName = 'bot-${resourceBaseName}-${shortToken}'

// The Flex Consumption plan runs the app package from this container; the code keeps evidence packs in the
// other (it creates it too if missing, always private).
var deploymentContainerName = 'app-package'
var evidenceContainerName = 'evidence-packs'

// Built-in role definition ids (the same in every tenant).
var roleIds = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
}

// ---------------------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
    features: {
      // Who may read these logs follows who may read the resource they came from.
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry is accepted only with an Entra token (the identity below), not with the instrumentation key
    // that sits in the connection string.
    DisableLocalAuth: true
  }
}

// ---------------------------------------------------------------------------------------------------------
// Storage: the governance tables, evidence packs, and the Functions host's own storage
// ---------------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    // Entra ID only: with shared keys off, a leaked connection string or account-key SAS is worthless, and
    // every access is made by a named identity that the logs record.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Public endpoint: the Function App has no virtual network, and people open evidence pack links from
    // their own browsers. Each link is a user delegation SAS for one file that expires.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // A blob or container deleted by mistake can be restored for a week.
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource evidenceContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: evidenceContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The code creates these tables too (creating an existing table is not an error); declaring them here makes
// them visible before the first message arrives.
resource governanceTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'governance'
}

resource conversationsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'conversations'
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-evidence-packs'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              // Container name first: every blob in the evidence-packs container, nothing else.
              prefixMatch: [
                '${evidenceContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: evidenceRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    evidenceContainer
  ]
}

// Storage access logs go to the workspace: each download of an evidence pack through its link, and any
// change made to the governance table other than by the app (for example in Storage Explorer), is recorded
// with the identity or link that made it.
var storageLogCategories = [
  {
    category: 'StorageRead'
    enabled: true
  }
  {
    category: 'StorageWrite'
    enabled: true
  }
  {
    category: 'StorageDelete'
    enabled: true
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'blob-access-to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspace.id
    logs: storageLogCategories
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'table-access-to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: workspace.id
    logs: storageLogCategories
  }
}

resource storageLock 'Microsoft.Authorization/locks@2020-05-01' = if (lockStorageAccount) {
  name: 'keep-governance-data'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the governance log and evidence for a go-live. Remove this lock only to retire the app.'
  }
}

// ---------------------------------------------------------------------------------------------------------
// Key Vault: the anonymity key
// ---------------------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  // How infra/anonymity-key.mjs finds this deployment's vault among others in the resource group.
  tags: {
    goLiveGovernance: resourceBaseName
  }
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure roles, not access policies: who can read the secret is visible in one place (Access control).
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // A deleted key cannot be purged early: losing it would unlink every anonymous answer already given.
    enablePurgeProtection: true
    // Flex Consumption resolves Key Vault references only from a vault that is not network-restricted.
    publicNetworkAccess: 'Enabled'
  }
}

var anonymitySecretName = 'anonymity-key'

resource anonymitySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (anonymityKeyMode == 'create') {
  parent: keyVault
  name: anonymitySecretName
  properties: {
    value: newAnonymityKey
  }
}

// ---------------------------------------------------------------------------------------------------------
// Role assignments for the identity (data access only; it cannot change or delete any resource)
// ---------------------------------------------------------------------------------------------------------

// Tables: the governance log and its projections, and conversation references.
resource storageTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleIds.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Blobs: the app package the plan runs, the host's leases (so one timer run happens at a time) and keys,
// evidence packs, and the user delegation keys that sign their read-only links.
resource storageBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleIds.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, roleIds.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Needed because Application Insights refuses telemetry without an Entra token (DisableLocalAuth).
resource metricsPublisherRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------------
// Function App: /api/messages and the review timer
// ---------------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the same identity (the app has no system-assigned one).
    keyVaultReferenceIdentity: identity.id
    // Flex Consumption takes the runtime, scale and package location here, not from app settings.
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      // No ftpsState: Flex Consumption has no FTP endpoint and rejects the property.
      // These names are compared with functions/config.ts by a test: add or rename one in both places.
      // FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are left out on purpose (Flex Consumption
      // sets them from functionAppConfig and rejects or ignores them).
      appSettings: [
        // The Functions host's own storage (leases, keys), reached with the identity instead of a key.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identity.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
        // The code's settings. The bot signs in to the Bot Framework as the managed identity: no password.
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppTenantId'
          value: tenant().tenantId
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'STORAGE_TABLE_ENDPOINT'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'STORAGE_BLOB_ENDPOINT'
          value: storage.properties.primaryEndpoints.blob
        }
        // Versionless reference: the app reads the secret's current version, never a copy of it. Built from the
        // vault's address, as the secret is not redeployed after the first time. Until it exists the app refuses
        // to start, saying the reference is not resolved.
        {
          name: 'ANONYMITY_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/${anonymitySecretName})'
        }
        {
          name: 'EVIDENCE_LINK_MINUTES'
          value: string(evidenceLinkMinutes)
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
      ]
    }
  }
  // The host reads its storage, the Key Vault secret and sends telemetry as it first starts: give it the
  // roles (and the secret) before it exists, rather than let the first start fail.
  dependsOn: [
    storageTableRole
    storageBlobRole
    keyVaultSecretsRole
    metricsPublisherRole
    // Made before the app first resolves its reference (the setting names it by address, not by resource).
    anonymitySecret
  ]
}

// ---------------------------------------------------------------------------------------------------------
// Azure Bot with the Teams channel
// ---------------------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${functionApp.properties.defaultHostName}/api/messages'
    // The bot's identity is the managed identity: single tenant, no app registration secret to rotate.
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Outputs: the Toolkit writes these into env/.env.<environment> for the app package and deployment.
// No secret is output.
// ---------------------------------------------------------------------------------------------------------

output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = tenant().tenantId
output BOT_DOMAIN string = functionApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${functionApp.properties.defaultHostName}'
output AZURE_BOT_NAME string = bot.name
output AZURE_FUNCTION_APP_NAME string = functionApp.name
output AZURE_FUNCTION_APP_RESOURCE_ID string = functionApp.id
output AZURE_MANAGED_IDENTITY_NAME string = identity.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output AZURE_KEY_VAULT_NAME string = keyVault.name
output APPLICATIONINSIGHTS_NAME string = appInsights.name
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = workspace.name
