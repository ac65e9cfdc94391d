import gradio as gr
from transformers import AutoModelForSequenceClassification

model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased")
demo = gr.Interface(fn=lambda t: model(t), inputs="text", outputs="label")  # mlaudit-expect: serving.present
demo.launch()
