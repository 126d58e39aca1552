import { bump, type FigureSource, type UnitCounts } from "./sources.ts";

/**
 * Quiz participation and average score by the member's unit at push time (QuizAssignment.unitId):
 * quizzes finished in the period and the mean of their scores (0..100, one decimal). A town's total
 * is the mean weighted by participants (FIGURES' aggregate), so a big village weighs more.
 */
export const quizFigures: FigureSource = {
  name: "quizzes",
  keys: ["quizParticipants", "quizAverage"],
  async collect({ deps, range }) {
    const counts: UnitCounts = new Map();
    const grouped = await deps.db.prisma.quizAssignment.groupBy({
      by: ["unitId"],
      where: { finishedAt: range, score: { not: null } },
      _count: { _all: true },
      _avg: { score: true },
    });
    for (const g of grouped) {
      bump(counts, g.unitId, "quizParticipants", g._count._all);
      bump(counts, g.unitId, "quizAverage", Math.round((g._avg.score ?? 0) * 10) / 10);
    }
    return counts;
  },
};
