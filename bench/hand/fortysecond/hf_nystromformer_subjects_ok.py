"""Hugging Face Trainer: a tiny Nyströmformer (``NystromformerConfig``: hidden 32, 2 layers, 4
heads, depthwise conv kernel 3, built from the config, no download; 32 landmarks over 32 tokens,
i.e. the exact-softmax path, because the landmark path of transformers 5.24 fails on a padding
mask with a shape error) flags email subject lines as phishing or not (2 classes). A subject is
5–24 tokens of everyday filler with, for phishing, 1–2 of 8 lure words ("verify", "suspended",
"urgent" …) and, for a normal mail, 0–1 of them 15 % of the time (real mails say "urgent" too);
5 % of the labels are wrong (users' reports). Padded to 32 with an attention mask, AdamW 1e-3,
weight decay 0.01, linear decay with 10 % warm-up, batch 32, 4 epochs, eval every 25 steps,
train loss logged every 5 steps. Healthy but odd-looking: the loss sits at ln 2 for the first
~1.75 epochs (a tiny transformer from a 0.02-std init finding the lure words), then drops; eval
accuracy 0.875 at the last 3 evaluations (the label noise and the lure words in normal mails cap
it), the noisy train loss stays above the eval loss (dropout 0.1, noisy labels)."""
import torch
from transformers import (
    NystromformerConfig,
    NystromformerForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS = 200, 32, 1, 0


def subjects(n, g):
    lures = torch.arange(190, 198)
    y = torch.randint(0, 2, (n,), generator=g)
    lengths = torch.randint(5, 25, (n,), generator=g)
    ids = torch.randint(3, 190, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 3, (1,), generator=g)) if y[i] else int(
            torch.rand(1, generator=g) < 0.15)
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k] + 1
        ids[i, pos] = lures[torch.randint(0, 8, (k,), generator=g)]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    ids = torch.where(mask.bool(), ids, torch.full_like(ids, PAD))
    flip = torch.rand(n, generator=g) < 0.05
    return ids, mask, torch.where(flip, 1 - y, y)


class Subjects(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NystromformerConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                                 num_attention_heads=4, intermediate_size=64,
                                 max_position_embeddings=LEN + 2, num_landmarks=LEN,
                                 segment_means_seq_len=LEN, conv_kernel_size=3,
                                 num_labels=2, pad_token_id=PAD, hidden_dropout_prob=0.1,
                                 attention_probs_dropout_prob=0.1)
    return NystromformerForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = subjects(1600, g)
    train = Subjects(ids[:1280], mask[:1280], y[:1280])
    val = Subjects(ids[1280:], mask[1280:], y[1280:])
    args = TrainingArguments(str(out / "subjects"), num_train_epochs=4, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=16, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "subjects").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1280:1344], "attention_mask": mask[1280:1344],
                           "targets": y[1280:1344]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nystromformer phishing-subject classifier, HF Trainer, 5 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
