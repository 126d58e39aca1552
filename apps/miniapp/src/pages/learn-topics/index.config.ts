export default definePageConfig({ navigationBarTitleText: '按岗位浏览' })
