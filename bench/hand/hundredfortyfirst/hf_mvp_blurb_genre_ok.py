"""Hugging Face Trainer: a tiny MVP (``MvpForSequenceClassification`` from an ``MvpConfig``:
vocabulary 96, d_model 32, 1 encoder + 1 decoder layer, 2 heads, FFN 64, no pre-training, no
download) shelves a publisher's back-catalogue by genre from the blurb on the back cover.
Synthetic blurbs: 28 word ids each (bos … eos), mostly common words (drawn with a Zipf-like
skew), plus 3–5 genre cue words — mystery, romance, science fiction, history — where a third of
the cues are drawn from a neighbouring genre's list (a detective in a historical novel) and 6 %
of the training labels are the wrong genre (a re-shelved book). AdamW 3e-3, weight decay
0.01, 20 warm-up steps then linear decay, batch 32, 10 epochs of 960 blurbs (300 steps), eval
every 30 steps, train loss every 15 steps, checkpoints every 100 steps (the last kept).
Healthy, after a plateau: the loss sits at ln 4 ≈ 1.386 for ~30 steps (eval accuracy 0.33 at
step 30), then eval accuracy 0.80, 0.93, 0.97, 0.98 at step 150 and 0.95 at the end (eval
loss 0.166 at step 120, 0.196 at step 300 — a small drift up while the lr decays), the train
loss 0.29–0.36 above the eval loss (the wrong genres sit only in training)."""
import torch
from transformers import MvpConfig, MvpForSequenceClassification, Trainer, TrainingArguments

GENRES = ["mystery", "romance", "science fiction", "history"]
V, LEN, N_COMMON, N_CUE = 96, 28, 60, 8  # ids 0-2 special, 3-62 common words, 63-94 cues


def blurbs(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    zipf = 1.0 / torch.arange(1, N_COMMON + 1).float()
    ids = 3 + torch.multinomial(zipf, n * (LEN - 2), replacement=True, generator=g).view(n, LEN - 2)
    for i in range(n):
        k = int(torch.randint(3, 6, (1,), generator=g))
        pos = torch.randperm(LEN - 2, generator=g)[:k]
        for p in pos:
            gen = int(y[i]) if torch.rand(1, generator=g) > 0.33 else (int(y[i]) + 1) % 4
            ids[i, p] = 3 + N_COMMON + gen * N_CUE + int(torch.randint(0, N_CUE, (1,), generator=g))
    ids = torch.cat([torch.zeros(n, 1, dtype=torch.long), ids, torch.full((n, 1), 2)], 1)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ids, y


class Blurbs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(LEN, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = MvpConfig(vocab_size=V, d_model=32, encoder_layers=1, decoder_layers=1,
                       encoder_attention_heads=2, decoder_attention_heads=2,
                       encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=32,
                       bos_token_id=0, pad_token_id=1, eos_token_id=2,
                       decoder_start_token_id=2, num_labels=4,
                       id2label=dict(enumerate(GENRES)),
                       label2id={s: i for i, s in enumerate(GENRES)})
    return MvpForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = blurbs(960, g, flip=0.06)
    xva, yva = blurbs(256, g)
    args = TrainingArguments(str(out / "genre"), num_train_epochs=10, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=15, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Blurbs(xtr, ytr),
                      eval_dataset=Blurbs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "genre").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MVP genre classifier on book blurbs, HF Trainer, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
