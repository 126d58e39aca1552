import type { FigureSource } from "./sources.ts";

/** Quiz participation and average score: replaced by the quizzes feature (issue 10). */
export const quizFigures: FigureSource = { name: "quizzes", keys: ["quizParticipants", "quizAverage"], collect: null, noteKey: "oversight-note-quizzes" };

/** Tips assigned to the unit and handled within their deadline: replaced by the tips feature (issue 11). */
export const tipFigures: FigureSource = { name: "tips", keys: ["tipsAssigned", "tipsHandledInTime"], collect: null, noteKey: "oversight-note-tips" };

/** Open tasks from quarterly meetings: replaced when meeting tasks land. */
export const taskFigures: FigureSource = { name: "tasks", keys: ["openTasks"], collect: null, noteKey: "oversight-note-tasks" };
