// Secrets and settings every test process needs (CI has no .env).
process.env.NODE_ENV = 'test';
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
process.env.STRAPI_DISABLE_UPDATE_NOTIFICATION = 'true';
process.env.BROWSER = 'none';
process.env.APP_KEYS ??= 'testKeyA==,testKeyB==';
process.env.API_TOKEN_SALT ??= 'test-api-token-salt';
process.env.ADMIN_JWT_SECRET ??= 'test-admin-jwt-secret';
process.env.JWT_SECRET ??= 'test-jwt-secret';
process.env.TRANSFER_TOKEN_SALT ??= 'test-transfer-token-salt';
process.env.ENCRYPTION_KEY ??= 'test-encryption-key-32-characters!!';
process.env.HOST = '127.0.0.1';
process.env.PORT = '0';
