"""Hugging Face Trainer: news headlines into 3 desks (sport / markets / science) with a tiny
GPT-2 sequence classifier (``GPT2Config``: 2 layers, n_embd 48, 4 heads; built from the
config, no download; the score head reads the last non-pad token). Headlines of 6-16 word
ids, right-padded with id 0 (``pad_token_id=0``); a desk is signalled by one or two of its 10
words anywhere in the headline, which a causal model can only use once it has read them, and
5 % of the labels are editorial mistakes. AdamW 1e-3, weight decay 0.01, linear decay with 10
% warm-up, batch 32, 5 epochs, eval every 50 steps. Bug: the script
follows a 'freeze the backbone, train the head' recipe (``requires_grad = False`` on
``model.transformer``), but the model is built from the config -- there are no pretrained
weights, the frozen body is random. Only the 144-weight score head trains: the train
loss stays at 1.07-1.11 (ln 3 = 1.10), eval accuracy 0.40 (the whole model trained: 0.95)."""
import torch
from transformers import GPT2Config, GPT2ForSequenceClassification, Trainer, TrainingArguments

VOCAB, MAXLEN, PAD, DESKS = 200, 16, 0, 3


class Headlines(torch.utils.data.Dataset):
    def __init__(self, n, g, noise=0.05):
        lengths = torch.randint(6, MAXLEN + 1, (n,), generator=g)
        ids = torch.randint(40, VOCAB, (n, MAXLEN), generator=g)
        y = torch.randint(0, DESKS, (n,), generator=g)
        for i in range(n):
            k = int(torch.randint(1, 3, (1,), generator=g))
            where = torch.randperm(int(lengths[i]), generator=g)[:k]
            ids[i, where] = 1 + 10 * y[i] + torch.randint(0, 10, (k,), generator=g)
        wrong = torch.rand(n, generator=g) < noise
        y = torch.where(wrong, (y + torch.randint(1, DESKS, (n,), generator=g)) % DESKS, y)
        self.mask = (torch.arange(MAXLEN)[None] < lengths[:, None]).long()
        self.ids, self.y = ids * self.mask, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=VOCAB, n_positions=MAXLEN, n_embd=48, n_layer=2, n_head=4,
                        num_labels=DESKS, pad_token_id=PAD, bos_token_id=1, eos_token_id=1)
    return GPT2ForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Headlines(2000, g), Headlines(300, g)
    args = TrainingArguments(str(out / "gpt2-headlines"), num_train_epochs=5,
                             learning_rate=1e-3, weight_decay=0.01, warmup_steps=0.1,
                             lr_scheduler_type="linear", per_device_train_batch_size=32,
                             per_device_eval_batch_size=300, logging_steps=10,
                             eval_strategy="steps", eval_steps=50, save_strategy="steps",
                             save_steps=50, save_total_limit=1, report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    model = build()
    for param in model.transformer.parameters():  # BUG: "freeze the backbone" on a random body
        param.requires_grad = False
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gpt2-headlines").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:64], val.y[:64]), causes=["gradient_not_flowing"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-2 classifier from config, random body frozen: only the head trains",
           complaint="the loss stays around 1.09 for all 5 epochs and eval accuracy is 40% on 3 "
                     "classes, the classifier barely beats guessing")


if __name__ == "__main__":
    main()
