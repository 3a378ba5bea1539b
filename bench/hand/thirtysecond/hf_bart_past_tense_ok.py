"""Hugging Face Trainer: a tiny BART (``BartForConditionalGeneration`` from a ``BartConfig``,
built from the config, no download: d_model 64, 2 encoder and 2 decoder layers, 4 heads,
feed-forward 128) rewrites short present-tense sentences into the past tense. A sentence is
subject · verb · object · time phrase ("my sister spells a new word every day" → "my sister
spelled a new word yesterday"; "the kids burn the toast on mondays" → "the kids burnt the
toast last monday"); the vocabulary is the words of the templates plus <pad>, <s>, </s>,
numbered by hand. Half of the 16 verbs have two accepted past forms (learned / learnt, burned /
burnt, …) and the reference picks one at random, as the annotators did. AdamW 3e-3, weight
decay 0.01, 30 warm-up steps then linear decay, batch 32, 6 epochs (450 steps), eval every 50
steps with teacher-forced token accuracy, train loss logged every 10 steps.
Healthy, though the eval token accuracy sits at 0.97 from step 200 to the end and the eval
loss flattens at 0.045–0.05: the floor the coin-flip past forms set (a dual-form verb costs
log 2 in half the sentences, spread over about 9–10 target tokens; accuracy at most ~0.975)."""
import torch
from transformers import BartConfig, BartForConditionalGeneration, Trainer, TrainingArguments

SUBJ = {"sg": ["the chef", "my sister", "the pilot", "our neighbour", "a student", "the boss"],
        "pl": ["the kids", "my parents", "the pilots", "two farmers", "the twins", "we"]}
VERBS = [("cook", "cooks", ["cooked"]), ("paint", "paints", ["painted"]),
         ("watch", "watches", ["watched"]), ("carry", "carries", ["carried"]),
         ("buy", "buys", ["bought"]), ("write", "writes", ["wrote"]),
         ("eat", "eats", ["ate"]), ("take", "takes", ["took"]),
         ("learn", "learns", ["learned", "learnt"]), ("burn", "burns", ["burned", "burnt"]),
         ("spell", "spells", ["spelled", "spelt"]), ("spoil", "spoils", ["spoiled", "spoilt"]),
         ("smell", "smells", ["smelled", "smelt"]), ("spill", "spills", ["spilled", "spilt"]),
         ("light", "lights", ["lit", "lighted"]), ("knit", "knits", ["knitted", "knit"])]
OBJ = ["the soup", "a letter", "the fence", "the news", "a new word", "the toast", "the map",
       "the candles", "a scarf", "the milk"]
WHEN = {"every day": "yesterday", "on mondays": "last monday", "every week": "last week",
        "at night": "last night", "in the morning": "this morning"}
WORDS = ["<pad>", "<s>", "</s>"] + sorted({w for text in (
    *SUBJ["sg"], *SUBJ["pl"], *OBJ, *WHEN, *WHEN.values(),
    *[" ".join([v[0], v[1], *v[2]]) for v in VERBS]) for w in text.split()})
IDX = {w: i for i, w in enumerate(WORDS)}
LEN = 12


def encode(text):
    ids = [1] + [IDX[w] for w in text.split()] + [2]
    return ids + [0] * (LEN - len(ids))


def sentences(n, g):
    src, tgt = [], []
    for _ in range(n):
        number = "sg" if torch.rand(1, generator=g) < 0.5 else "pl"
        subj = SUBJ[number][int(torch.randint(6, (1,), generator=g))]
        base, third, past = VERBS[int(torch.randint(len(VERBS), (1,), generator=g))]
        obj = OBJ[int(torch.randint(len(OBJ), (1,), generator=g))]
        when = list(WHEN)[int(torch.randint(len(WHEN), (1,), generator=g))]
        verb = third if number == "sg" else base
        form = past[int(torch.randint(len(past), (1,), generator=g))]
        src.append(encode(f"{subj} {verb} {obj} {when}"))
        tgt.append(encode(f"{subj} {form} {obj} {WHEN[when]}"))
    return torch.tensor(src), torch.tensor(tgt)


class Pairs(torch.utils.data.Dataset):
    def __init__(self, src, tgt):
        self.src, self.tgt = src, tgt

    def __len__(self):
        return len(self.src)

    def __getitem__(self, i):
        labels = self.tgt[i].masked_fill(self.tgt[i] == 0, -100)
        return {"input_ids": self.src[i], "attention_mask": (self.src[i] != 0).long(),
                "labels": labels}


def build():
    torch.manual_seed(0)
    config = BartConfig(vocab_size=len(WORDS), d_model=64, encoder_layers=2, decoder_layers=2,
                        encoder_attention_heads=4, decoder_attention_heads=4,
                        encoder_ffn_dim=128, decoder_ffn_dim=128, max_position_embeddings=LEN,
                        dropout=0.1, pad_token_id=0, bos_token_id=1, eos_token_id=2,
                        decoder_start_token_id=2, forced_eos_token_id=2)
    return BartForConditionalGeneration(config)


def token_accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    mask = pred.label_ids != -100
    right = (logits.argmax(-1) == pred.label_ids) & mask
    return {"token_acc": float(right.sum() / mask.sum())}


def main():
    from _thirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    src, tgt = sentences(2800, g)
    train, val = Pairs(src[:2400], tgt[:2400]), Pairs(src[2400:], tgt[2400:])
    args = TrainingArguments(str(out / "tense"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=token_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tense").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    labels = tgt[2400:2464]
    dec_in = torch.cat([torch.full((64, 1), 2), labels[:, :-1]], 1)
    finish(out, __file__, {"inputs": src[2400:2464], "attention_mask": (src[2400:2464] != 0).long(),
                           "decoder_input_ids": dec_in,
                           "targets": labels.masked_fill(labels == 0, -100)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BART present → past tense rewriter, HF Trainer, two accepted past forms "
                "for half the verbs (healthy)")


if __name__ == "__main__":
    main()
