import { z } from 'zod'

// Imported first by app.ts, before any schema is built. The API serves the H5 build under a
// Content-Security-Policy without 'unsafe-eval'; zod otherwise probes `new Function("")` to decide
// whether to compile its object parsers, and the browser reports the caught probe as a violation.
// jitless keeps zod on its plain (CSP-safe) parsers, which is all a form needs.
z.config({ jitless: true })
