// Every page is registered here (first = start page). Adding a page: add its path below and create
// src/pages/<name>/index.tsx + index.config.ts.
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/login/index', 'pages/profile/index', 'pages/check/index',
    'pages/report/index', 'pages/report-form/index', 'pages/report-mine/index', 'pages/report-feeds/index', 'pages/review/index', 'pages/review-detail/index', 'pages/report-detail/index', 'pages/admin/index', 'pages/oversight/index', 'pages/targets/index', 'pages/entrusted/index', 'pages/accountability/index', 'pages/clearance-import/index', 'pages/not-found/index',
    'pages/learn/index', 'pages/learn-article/index', 'pages/learn-topics/index', 'pages/learn-edit/index', 'pages/learn-history/index', 'pages/learn-gaps/index',
    'pages/quiz/index', 'pages/quiz-build/index', 'pages/quiz-results/index', 'pages/quiz-take/index', 'pages/quiz-practice/index', 'pages/quiz-mistakes/index', 'pages/quiz-question/index',
    'pages/tip/index', 'pages/tip-receipt/index', 'pages/tip-status/index', 'pages/tips-inbox/index', 'pages/tip-detail/index',
    'pages/tasks/index', 'pages/meetings/index'],
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f4f5f7',
    navigationBarBackgroundColor: '#b71c1c',
    navigationBarTitleText: '协税通',
    navigationBarTextStyle: 'white',
  },
})
