import { parentPort, workerData } from "node:worker_threads";
import type { Locale } from "../../domain/i18n.ts";
import { answerFromWorker, workerSource } from "../worker-stream.ts";
import { parseFeedUpload } from "./feed-parse.ts";

/** The feed worker thread: pulls the upload's bytes from the main thread and posts one FeedParseResult. */
const port = parentPort!;
const { feedCode, locale } = workerData as { feedCode: string; locale: Locale };
await answerFromWorker(port, () => parseFeedUpload(workerSource(port), feedCode, locale));
