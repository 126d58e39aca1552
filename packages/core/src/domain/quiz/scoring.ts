import { QUIZ_LETTERS, type QuizLetter, type QuizQuestionType } from "./schemas.ts";

/**
 * Scoring rules, the same in the bot, the mini-app and the results. A question counts as right only
 * when exactly the correct letters were chosen (multi: all of them and nothing else; no partial
 * credit). The score is the percentage of questions right, rounded; a quiz is passed at or above the
 * pass mark. Unanswered questions count as wrong once the quiz has closed.
 */
export function isCorrectChoice(chosen: string, answer: string): boolean {
  return [...new Set(chosen)].sort().join("") === answer;
}

/** The score in percent (0-100, rounded half up) of `correct` out of `total` questions. */
export function quizScore(correct: number, total: number): number {
  if (total <= 0) return 0;
  return Math.round((100 * correct) / total);
}

/** Whether a score passes a pass mark (both in percent). */
export function isPassed(score: number, passMark: number): boolean {
  return score >= passMark;
}

/** The letter of option `index` (0 = A). */
export function letterOf(index: number): QuizLetter {
  return QUIZ_LETTERS[index]!;
}

/** Option indexes (0 = A) of a letters string, in order: "AC" -> [0, 2]. */
export function letterIndexes(letters: string): number[] {
  return [...letters].map((l) => QUIZ_LETTERS.indexOf(l as QuizLetter)).filter((i) => i >= 0);
}

/**
 * Why chosen letters do not fit a question, or null when they do: letters among the options present,
 * exactly one for single and true/false questions, at least one for multi. Returns a catalogue key.
 */
export function choiceProblem(type: QuizQuestionType, optionCount: number, chosen: string): "quiz-choose-one" | "quiz-choose-only-one" | "quiz-choice-not-option" | null {
  if (!chosen) return "quiz-choose-one";
  if (letterIndexes(chosen).some((i) => i >= optionCount) || letterIndexes(chosen).length !== chosen.length) return "quiz-choice-not-option";
  if (type !== "multi" && chosen.length !== 1) return "quiz-choose-only-one";
  return null;
}

/** How many of a set of questions were answered right, and the resulting score and pass. */
export function quizOutcome(answers: readonly { correct: boolean }[], total: number, passMark: number): { correct: number; score: number; passed: boolean } {
  const correct = answers.filter((a) => a.correct).length;
  const score = quizScore(correct, total);
  return { correct, score, passed: isPassed(score, passMark) };
}
