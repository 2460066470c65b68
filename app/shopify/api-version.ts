import { ApiVersion } from "@shopify/shopify-api";

/** The app's one Admin API version, also `[webhooks] api_version` in shopify.app.toml. */
export const API_VERSION = ApiVersion.October26;
