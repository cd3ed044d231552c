import type * as SecretsManagerSdk from '@aws-sdk/client-secrets-manager'

/**
 * Reads one secret's string value by id or ARN, e.g. from AWS Secrets Manager.
 * Tests pass their own.
 */
export type SecretReader = (secretId: string) => Promise<string>

/** Thrown when a configured secret cannot be read; `cause` keeps the reader's error. */
export class SecretReadError extends Error {
  override name = 'SecretReadError'
}

/**
 * The SDK module, named through a variable so that no bundler follows it:
 * the Lambda runtime provides the AWS SDK v3 (the handler bundles also keep
 * `@aws-sdk/*` external), and a server bundle built in a clone, where the
 * SDK is a dev dependency, must not inline it either.
 */
const SECRETS_MANAGER_SDK = '@aws-sdk/client-secrets-manager'

/**
 * Reads the secret through the AWS SDK v3. Loaded on first use, so a
 * process that never names a secret ARN never loads the SDK.
 */
export const readFromSecretsManager: SecretReader = async (secretId) => {
  const { SecretsManagerClient, GetSecretValueCommand } = (await import(SECRETS_MANAGER_SDK)) as typeof SecretsManagerSdk
  const client = new SecretsManagerClient({})
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }))
    if (!SecretString) throw new SecretReadError(`secret ${secretId} has no string value`)
    return SecretString
  } finally {
    client.destroy()
  }
}

/**
 * Fills `RTKIT_JWT_SECRET` from the secret named by `RTKIT_JWT_SECRET_ARN`,
 * when the ARN is set and the secret itself is not, so that `loadConfig()`
 * then finds it like any other variable. A deployed Lambda gets only the
 * ARN (deploy/http-api.ts): the value never appears in its configuration.
 *
 * @returns whether a secret was read
 * @throws {SecretReadError} when the reader fails
 * @example
 * await resolveSecrets(process.env, readFromSecretsManager)
 */
export async function resolveSecrets(env: NodeJS.ProcessEnv, read: SecretReader): Promise<boolean> {
  const arn = env.RTKIT_JWT_SECRET_ARN
  if (!arn || env.RTKIT_JWT_SECRET) return false
  try {
    env.RTKIT_JWT_SECRET = await read(arn)
  } catch (error) {
    if (error instanceof SecretReadError) throw error
    throw new SecretReadError(`cannot read RTKIT_JWT_SECRET_ARN ${arn}`, { cause: error })
  }
  return true
}

/**
 * {@link resolveSecrets} once per `env`: the first call reads (a Lambda's
 * cold start), later calls wait on the same promise. A failed read is
 * forgotten, so the next invocation tries again instead of failing forever.
 * Without `RTKIT_JWT_SECRET_ARN` it resolves at once and loads nothing.
 */
export function secretsOnce(env: NodeJS.ProcessEnv, read: SecretReader): () => Promise<boolean> {
  let pending: Promise<boolean> | undefined
  return () => {
    const attempt = (pending ??= resolveSecrets(env, read))
    attempt.catch(() => {
      if (pending === attempt) pending = undefined
    })
    return attempt
  }
}

/** This process's secrets, read once; `route()` awaits it before the first `config()`. */
export const secretsReady = secretsOnce(process.env, readFromSecretsManager)
