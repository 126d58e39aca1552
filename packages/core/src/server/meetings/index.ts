// Meetings of the coordination group and the tasks they assign to units (issue 13, point 3).
export * from "./meetings.ts";
export * from "./demo.ts";
