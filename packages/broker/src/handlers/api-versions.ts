/**
 * ApiVersions (key 18), versions 0-3 (v3 flexible; librdkafka sends v3 first, kafkajs v2).
 * Lists exactly the registered handlers with their ranges (CLIENT_NOTES §3). The ranges' MIN
 * matters to librdkafka's feature checks (§2.3), e.g. FindCoordinator must start at 0.
 * An unsupported ApiVersions version never reaches this handler: the router answers it with a
 * v0-format body carrying error 35 and the ApiVersions range, as Kafka does (KIP-511).
 * Differences from Kafka: no SupportedFeatures/FinalizedFeatures tags (optional for clients);
 * ClientSoftwareName/Version are not validated.
 */
import type { ApiVersionsResponse, ApiVersionsResponseApiVersion } from '@warmcast/kafka-protocol';
import type { ApiHandler } from './handler.ts';

export type ApiVersionsAnswer = Pick<ApiVersionsResponse, 'errorCode' | 'throttleTimeMs'> & {
  apiKeys: Pick<ApiVersionsResponseApiVersion, 'apiKey' | 'minVersion' | 'maxVersion'>[];
};

/** `registered` is read on every request so the list always matches the router's table. */
export function apiVersionsHandler(registered: () => readonly ApiHandler[]): ApiHandler<unknown, ApiVersionsAnswer> {
  return {
    apiKey: 18,
    minVersion: 0,
    maxVersion: 3,
    handle() {
      const apiKeys = registered()
        .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
        .sort((a, b) => a.apiKey - b.apiKey);
      return { errorCode: 0, apiKeys, throttleTimeMs: 0 };
    },
  };
}
