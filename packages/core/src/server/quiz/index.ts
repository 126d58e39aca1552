// Quizzes: the question bank (import, edit), building and pushing quizzes to units, answering in the
// bot and the mini-app, results and exports, the mistakes book and daily practice.
export * from "./questions.ts";
export * from "./quizzes.ts";
export * from "./answering.ts";
export * from "./review.ts";
export * from "./results.ts";
export * from "./polls.ts";
