export default definePageConfig({ navigationBarTitleText: '编辑知识条目' })
