// Quizzes: the question bank's row schema, quiz definitions, answers and scoring rules (isomorphic).
export * from "./schemas.ts";
export * from "./scoring.ts";
