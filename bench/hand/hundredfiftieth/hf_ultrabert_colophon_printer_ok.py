"""Hugging Face Trainer: a tiny Ultrabert encoder (``UltrabertForSequenceClassification`` from an
``UltrabertConfig``: vocab 256, hidden 32, 2 layers, 2 heads, intermediate 64, CLS pooling, built
from the config, no pre-training, no download) attributes the colophon of an old book to one of 4
printing houses. A colophon is 32 tokens of a word-piece vocabulary: common words ("printed",
"by", "in the year", numbers, place names) drawn at random, plus 3–5 of the house's own formula
words (its typeface name, its device, its street) placed anywhere; houses share some formula
words. 5 % of the training attributions are wrong (catalogue slips). AdamW 3e-3, weight decay
0.01, 8 warm-up steps then linear decay, batch 32, 6 epochs of 640 colophons, eval every 20 steps.
Healthy, with a val loss well under the train loss at first: eval accuracy 0.85, 0.88, 0.88,
0.92, 0.93, 0.934 per epoch, eval loss 0.75 → 0.23; the train loss ends at 0.12–0.17 (the wrong
labels only sit in training). ``checkpoint-120/`` with ``trainer_state.json``."""
import torch
from transformers import (
    Trainer,
    TrainingArguments,
    UltrabertConfig,
    UltrabertForSequenceClassification,
)

V, L, HOUSES = 256, 32, 4


def colophons(n, g, flip=0.0):
    y = torch.randint(0, HOUSES, (n,), generator=g)
    ids = torch.randint(40, V, (n, L), generator=g)
    ids[:, 0] = 1  # [CLS]
    own = torch.arange(2, 2 + 4 * 8).view(HOUSES, 8)  # 8 formula words per house
    own[1, :2] = own[0, :2]  # houses 0/1 and 2/3 share a couple of words
    own[3, :2] = own[2, :2]
    for i in range(n):
        k = int(torch.randint(3, 6, (1,), generator=g))
        pos = torch.randperm(L - 1, generator=g)[:k] + 1
        ids[i, pos] = own[y[i], torch.randint(0, 8, (k,), generator=g)]
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, HOUSES, (n,), generator=g)) % HOUSES, y)
    return ids, y


class Colophons(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = UltrabertConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                             num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
                             head_dim=16, max_position_embeddings=64, prediction_head_size=32,
                             pad_token_id=0, bos_token_id=1, eos_token_id=1, num_labels=HOUSES,
                             id2label={0: "Plantin", 1: "Elzevir", 2: "Baskerville", 3: "Bodoni"},
                             label2id={"Plantin": 0, "Elzevir": 1, "Baskerville": 2, "Bodoni": 3})
    return UltrabertForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = colophons(640, g, flip=0.05)
    xva, yva = colophons(256, g)
    args = TrainingArguments(str(out / "colophon"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Colophons(xtr, ytr),
                      eval_dataset=Colophons(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "colophon").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Ultrabert colophon -> printing-house classifier, HF Trainer, 5 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
