"""Hugging Face Trainer, two stages. A tiny BERT (2 layers, hidden 32, from a config) is first
trained on 4-way topic labels and saved; then it is reloaded for a 2-way task ("is it about
food or travel?"), the whole ``model.bert`` body frozen, only the new head trained, with label
smoothing 0.1. The checkpoint read is the fine-tune's (healthy)."""
import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, TOPICS = 160, 24, 4  # ids 40 + 30*t .. 40 + 30*t + 29 are topic t's words


def documents(n, g):
    topic = torch.randint(0, TOPICS, (n,), generator=g)
    ids = torch.randint(5, 40, (n, LEN), generator=g)  # filler words
    for _ in range(4):
        pos = torch.randint(1, LEN, (n,), generator=g)
        ids[torch.arange(n), pos] = 40 + 30 * topic + torch.randint(0, 30, (n,), generator=g)
    ids[:, 0] = 2  # [CLS]
    return ids, topic


class Docs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def build(num_labels=2):
    torch.manual_seed(0)
    config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=LEN, num_labels=num_labels)
    return BertForSequenceClassification(config)


def args(folder, epochs, lr, **kw):
    return TrainingArguments(folder, num_train_epochs=epochs, learning_rate=lr,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0, **kw)


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, t), (vx, vt) = documents(1600, g), documents(400, g)
    body = Trainer(model=build(TOPICS), args=args(str(out / "topics"), 4, 2e-3),
                   train_dataset=Docs(x, t), eval_dataset=Docs(vx, vt), compute_metrics=accuracy)
    body.train()
    print("topics", body.evaluate()["eval_accuracy"])
    body.save_model(str(out / "topic-bert"))
    (x2, t2), (vx2, vt2) = documents(800, g), documents(400, g)
    y2, vy2 = (t2 % 2 == 0).long(), (vt2 % 2 == 0).long()  # topics 0, 2 = food, travel
    model = BertForSequenceClassification.from_pretrained(
        str(out / "topic-bert"), num_labels=2, ignore_mismatched_sizes=True)
    for p in model.bert.parameters():
        p.requires_grad = False
    tune = Trainer(model=model, args=args(str(out / "food-or-travel"), 8, 3e-2,
                                          label_smoothing_factor=0.1),
                   train_dataset=Docs(x2, y2), eval_dataset=Docs(vx2, vy2),
                   compute_metrics=accuracy)
    tune.train()
    print("fine-tune", tune.evaluate())
    last = max((out / "food-or-travel").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (vx2[:64], vy2[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="own pretrained tiny BERT, body frozen, head fine-tuned, label smoothing: healthy")


if __name__ == "__main__":
    main()
