export default definePageConfig({ navigationBarTitleText: '举报进度查询' })
