"""Hugging Face Trainer: a tiny FNet (``FNetConfig``: hidden 64, 2 layers, FFN 128, built from
the config, no download; Fourier token mixing, no attention mask) flags fake product reviews
in synthetic review snippets. A snippet is 10–30 tokens of ordinary review words; 3 % of the
snippets are fake, and 90 % of the fakes quote 2–3 of 8 promotional tokens — but so do 6 %
of the genuine reviews, so a snippet with promotional tokens is fake only about one time in
three. Padded to 32, AdamW 3e-3, weight decay 0.01, batch 32, 3 epochs of 2 400 snippets,
linear decay, eval every 25 steps on 800 snippets (22 fakes) with accuracy and the fake
class's precision, recall and F1. The bug: the 3 % positives are trained with the default
unweighted cross-entropy of ``FNetForSequenceClassification`` (no class weight, no
resampling, the 0.5 argmax threshold), so the model keeps to "genuine": eval accuracy 0.9725
(= the share of genuine reviews) from the first eval, fake recall 0.0 at the first 7 of the 9
evals, then 0.05 and 0.09 (2 of 22), F1 0.16 (control, the fakes oversampled 16× in the
training set: recall 0.23–0.73 from step 50 on, 0.36 at the end, F1 0.34, accuracy 0.961)."""
import torch
from transformers import FNetConfig, FNetForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS = 200, 32, 0, 2


def snippets(n, g):
    promo = torch.arange(40, 48)
    y = (torch.rand(n, generator=g) < 0.03).long()
    lengths = torch.randint(10, 31, (n,), generator=g)
    ids = torch.randint(50, VOCAB, (n, LEN), generator=g)
    for i in range(n):
        quotes_ad = bool(torch.rand(1, generator=g) < (0.9 if y[i] == 1 else 0.06))
        k = int(torch.randint(2, 4, (1,), generator=g)) if quotes_ad else 0
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k] + 1
        ids[i, pos] = promo[torch.randint(0, 8, (k,), generator=g)]
    ids[:, 0] = CLS
    mask = torch.arange(LEN)[None] < lengths[:, None]
    return torch.where(mask, ids, torch.full_like(ids, PAD)), y


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FNetConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                        intermediate_size=128, max_position_embeddings=LEN, type_vocab_size=1,
                        num_labels=2, pad_token_id=PAD, hidden_dropout_prob=0.1,
                        use_tpu_fourier_optimizations=False)
    return FNetForSequenceClassification(config)


def fake_metrics(pred):
    p, y = pred.predictions.argmax(-1), pred.label_ids
    tp = float(((p == 1) & (y == 1)).sum())
    prec = tp / max(float((p == 1).sum()), 1.0)
    rec = tp / max(float((y == 1).sum()), 1.0)
    f1 = 2 * prec * rec / max(prec + rec, 1e-9)
    return {"accuracy": float((p == y).mean()), "fake_precision": prec, "fake_recall": rec,
            "fake_f1": f1}


def main():
    from _thirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = snippets(3200, g)
    train, val = Reviews(ids[:2400], y[:2400]), Reviews(ids[2400:], y[2400:])
    args = TrainingArguments(str(out / "fnet_reviews"), num_train_epochs=3, learning_rate=3e-3,
                             weight_decay=0.01, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=fake_metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "fnet_reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[2400:2464], "targets": y[2400:2464]},
           causes=["class_imbalance"], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny FNet fake-review detector, HF Trainer, 3 % positives with the default "
                "unweighted cross-entropy: predicts the majority class",
           complaint="验证集准确率从第一次评估开始就一直是 0.97 左右，看起来很好，"
                     "可是虚假评论的召回率几乎一直是 0，22 条假评论最后只抓出来 2 条。"
                     "训练 loss 也早就不怎么降了。")


if __name__ == "__main__":
    main()
