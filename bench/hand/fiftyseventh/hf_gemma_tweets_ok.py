"""Hugging Face Trainer: a tiny Gemma (``GemmaConfig``: hidden 64, 2 layers, 4 heads of 16,
intermediate 128, built from the config, no download, ``pad_token_id`` 0 so the
sequence-classification head reads the last real token) labels synthetic tweets negative /
neutral / positive. A tweet is 5–20 tokens of shared filler (mentions, hashtags, stop words)
with 1–2 sentiment words of its class (a neutral tweet carries a neutral cue word), and a
third of the tweets add one word of another class ("not bad at all"); 10 % of the tweets carry
another label (annotators disagree). Right-padded to 24 with an attention mask, AdamW 1e-3,
weight decay 0.01, 10 warm-up steps then linear decay, batch 32, 5 epochs of 1200 tweets, eval
every 25 steps, train loss logged every 5 steps, attention dropout 0.1. Healthy: eval accuracy
climbs and levels at 0.79–0.81 from epoch 2 on (annotator noise and the cross-class words set
the ceiling; eval loss 0.55–0.57), with a noisy train loss (0.39–0.53 in the last two epochs)
a little below the eval loss."""
import torch
from transformers import (
    GemmaConfig,
    GemmaForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, KINDS = 180, 24, 0, 3


def tweets(n, g):
    words = torch.randperm(VOCAB - 40, generator=g)[:KINDS * 10].view(KINDS, 10) + 40
    y = torch.randint(0, KINDS, (n,), generator=g)
    lengths = torch.randint(5, 21, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 3, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]), generator=g)[:k + 1]
        ids[i, pos[:k]] = words[y[i], torch.randint(0, 10, (k,), generator=g)]
        if torch.rand(1, generator=g) < 1 / 3:
            other = (y[i] + torch.randint(1, KINDS, (1,), generator=g)) % KINDS
            ids[i, pos[k]] = words[other, torch.randint(0, 10, (1,), generator=g)]
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.10
    y = torch.where(flip, (y + torch.randint(1, KINDS, (n,), generator=g)) % KINDS, y)
    return ids * mask, mask, y


class Tweets(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GemmaConfig(vocab_size=VOCAB, hidden_size=64, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                         head_dim=16, max_position_embeddings=LEN, pad_token_id=PAD,
                         bos_token_id=2, eos_token_id=1, num_labels=KINDS,
                         attention_dropout=0.1)
    return GemmaForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = tweets(1500, g)
    train = Tweets(ids[:1200], mask[:1200], y[:1200])
    val = Tweets(ids[1200:], mask[1200:], y[1200:])
    args = TrainingArguments(str(out / "tweets"), num_train_epochs=5, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tweets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1200:1264], "attention_mask": mask[1200:1264],
                           "targets": y[1200:1264]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma tweet-sentiment classifier, HF Trainer, 10 % label noise (healthy)")


if __name__ == "__main__":
    main()
