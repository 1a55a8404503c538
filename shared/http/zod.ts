import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every request and response schema is defined once, with zod, and documented from itself.
extendZodWithOpenApi(z);

export { z };
